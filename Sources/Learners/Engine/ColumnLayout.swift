/// Where the lanes of the column-side image data live: lane k of pixel (y, x), channel (or
/// activation) c is read at `base + c * channelStride + ((y + rowShift) mod H) * rowStride +
/// x * elementStride + k`.
///
/// Two layouts share it. Lanes over pixel offsets (pooled readout): per image, a plane per
/// channel, extended periodically in x, so offsets dx0 ..< dx0 + 8 of pixel (y, x) are one
/// contiguous load; rowShift = dy. Lanes over images (flatten readout): the column batch
/// transposed to pixel-major, image-minor, so eight images are one contiguous load; rowShift = 0.
struct ColumnLayout {
  var base: UnsafePointer<Double>
  var channelStride: Int
  var rowStride: Int
  var elementStride: Int
  var rowShift: Int

  /// The first lane of channel `channel` at pixel (`y`, 0) for a field of height `height`.
  @inline(__always)
  func row(_ y: Int, channel: Int, height: Int) -> UnsafePointer<Double> {
    var shifted = y + rowShift
    if shifted >= height { shifted -= height }
    return base + channel * channelStride + shifted * rowStride
  }
}
