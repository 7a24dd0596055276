#if canImport(Glibc)
  import Glibc
#endif

/// Asks the kernel to back the 2 MiB-aligned part of a fresh buffer with 2 MiB pages before it
/// is first written: one page fault per 2 MiB instead of one per 4 KiB.
///
/// The kernel engine's outputs and the matrix product's result are written once, from scratch,
/// on every call: the FCN workload's two 32 MB matrices took 8,192 first-touch faults each, and
/// with the kernel's page bookkeeping about a tenth of its samples (`perf`, session 10); the
/// n = 2048 product took 8,165 per call (session 11; NumPy advises its large arrays the same
/// way, so its product is timed without them). Where transparent huge pages are set to
/// `madvise` (as on this machine) only advised memory gets them; elsewhere this is a no-op, and
/// it never changes what the buffer holds.
/// - Complexity: one system call, for buffers of at least `minimumBytes`.
package enum HugePages {
  /// The size of a huge page, and below twice which advising is not worth a call.
  package static let size = 2 << 20
  package static let minimumBytes = 2 * size

  /// Advises the whole 2 MiB pages inside `bytes` bytes at `base`.
  package static func advise(_ base: UnsafeMutableRawPointer, bytes: Int) {
    #if os(Linux)
      guard bytes >= minimumBytes else { return }
      let address = Int(bitPattern: base)
      let start = (address + size - 1) / size * size
      let end = (address + bytes) / size * size
      guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
      _ = madvise(first, end - start, Int32(MADV_HUGEPAGE))
    #endif
  }
}
