extension ImageBatch {
  /// The batch with pixels moved: output pixel p of every image is input pixel `source[p]`,
  /// all channels moving together.
  ///
  /// Every spatial action (permutations, translations, flips, turns, patch shuffles) is one of
  /// these, so they are exact in floating point.
  /// - Complexity: O(n H W C).
  func gatheringPixels(from source: [Int]) -> ImageBatch {
    let pixels = shape.pixelCount
    let channels = shape.channels
    precondition(source.count == pixels, "internal: a pixel map needs one source per pixel")
    return source.withUnsafeBufferPointer { map in
      mapValues { input, output in
        for image in 0..<count {
          let base = image * pixels * channels
          for p in 0..<pixels {
            let from = base + map[p] * channels
            let to = base + p * channels
            for c in 0..<channels { output[to + c] = input[from + c] }
          }
        }
      }
    }
  }

  /// The batch with every pixel's channel vector v replaced by R_p v, where R_p is the C x C
  /// row-major block `rotations[(p % period) * C * C ..< ...]` (period 1: one matrix for all
  /// pixels; period P: one per pixel).
  ///
  /// - Complexity: O(n H W C^2).
  func rotatingChannels(by rotations: [Double], period: Int) -> ImageBatch {
    let pixels = shape.pixelCount
    let channels = shape.channels
    let block = channels * channels
    precondition(rotations.count == period * block, "internal: one C x C block per period")
    return rotations.withUnsafeBufferPointer { r in
      mapValues { input, output in
        for image in 0..<count {
          for p in 0..<pixels {
            let offset = (image * pixels + p) * channels
            let matrix = (p % period) * block
            for i in 0..<channels {
              var sum = 0.0
              for j in 0..<channels { sum += r[matrix + i * channels + j] * input[offset + j] }
              output[offset + i] = sum
            }
          }
        }
      }
    }
  }
}
