import Foundation

/// What a failed file-system call means for the user, as one clause that says what went wrong
/// and what to do, from its `errno`.
///
/// The tool prints these inside `DataFileError` messages instead of Foundation's
/// `NSCocoaErrorDomain` descriptions, which name neither the cause in plain words nor a fix.
public enum FileSystemReason {
  /// The clause for `code` when reading (`writing == false`) or writing a path.
  public static func describe(_ code: Int32, writing: Bool) -> String {
    switch code {
    case EACCES, EPERM:
      return writing
        ? "permission denied; choose a folder you can write to, or change its permissions"
        : "permission denied; check the file's permissions (chmod u+r)"
    case ENOENT:
      return writing
        ? "its folder does not exist; create the folder first or choose another path"
        : "no such file or folder; check the path (relative paths start at the current folder)"
    case ENOTDIR:
      return "a part of the path is a file, not a folder; check the path"
    case EISDIR:
      return "it is a folder; give the path of a file"
    case ENOSPC, EDQUOT:
      return "no space left on the device; free some space or write elsewhere"
    case EROFS:
      return "the file system is read-only; write somewhere else"
    case ENAMETOOLONG:
      return "the path is too long; choose a shorter one"
    case ELOOP:
      return "the path has too many (or circular) symbolic links; check the links"
    case EMFILE, ENFILE:
      return "too many open files; close other programs or raise the limit (ulimit -n)"
    case EIO:
      return "an input/output error; check the disk or the network file system"
    default:
      return String(cString: strerror(code)) + "; check the path and its permissions"
    }
  }

  /// The clause for the current `errno`.
  public static func current(writing: Bool) -> String {
    describe(errno, writing: writing)
  }
}

extension FileSystemReason {
  /// The clause for an error thrown by Foundation's file APIs: its POSIX code when it carries
  /// one (directly or as the underlying error), otherwise its localized description, which
  /// names the problem without the `NSCocoaErrorDomain` code and user-info dump.
  public static func of(_ error: any Error, writing: Bool) -> String {
    let nsError = error as NSError
    if nsError.domain == NSPOSIXErrorDomain {
      return describe(Int32(nsError.code), writing: writing)
    }
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return describe(Int32(underlying.code), writing: writing)
    }
    switch CocoaError.Code(rawValue: nsError.code) {
    case .fileNoSuchFile, .fileReadNoSuchFile: return describe(ENOENT, writing: writing)
    case .fileReadNoPermission, .fileWriteNoPermission: return describe(EACCES, writing: writing)
    case .fileWriteOutOfSpace: return describe(ENOSPC, writing: writing)
    case .fileWriteVolumeReadOnly: return describe(EROFS, writing: writing)
    default: return nsError.localizedDescription + "; check the path and its permissions"
    }
  }
}
