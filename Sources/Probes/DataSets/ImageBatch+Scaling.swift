import Symmetries

extension ImageBatch {
  /// Every value multiplied by `factor`: x -> factor * x (e.g. 1/255 or 1/16 for [0, 1]).
  ///
  /// - Throws: `SymmetryError.invalidParameter` for a non-finite factor and
  ///   `.nonFiniteValue` if a product overflows.
  /// - Complexity: O(n * d).
  public func scaled(by factor: Double) throws(SymmetryError) -> ImageBatch {
    guard factor.isFinite else {
      throw .invalidParameter("the scale factor \(factor) is not finite; pass a finite number")
    }
    let scaled = values.withUnsafeBufferPointer { source in
      [Double](unsafeUninitializedCapacity: source.count) { output, initialized in
        for i in source.indices { output[i] = factor * source[i] }
        initialized = source.count
      }
    }
    return try ImageBatch(shape: shape, values: scaled)
  }
}
