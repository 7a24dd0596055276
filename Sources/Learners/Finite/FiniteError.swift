import Symmetries

/// Bad input to a finite network or its training, with what was wrong and how to fix it.
///
/// The library throws instead of trapping, so one bad case fails alone, and it never returns
/// NaN or infinite predictions as if they were valid.
public enum FiniteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A hidden width or output count below 1.
  case invalidWidth(parameter: String, value: Int)
  /// A `valid` filter larger than the (possibly already shrunk) image.
  case filterLargerThanImage(layer: Int, filterSize: Int, height: Int, width: Int)
  /// A layer that does not fit the grid it reads, other than a `valid` filter: a pooling window
  /// or stride larger than the image, a residual block that changes the grid (the geometry error
  /// the kernel path reports).
  case layerDoesNotFit(KernelError)
  /// Images of another shape than the network was built for.
  case shapeMismatch(expected: ImageShape, actual: ImageShape)
  /// Targets (or labels) that do not match the images one to one, or have the wrong width.
  case targetMismatch(images: Int, targetRows: Int, targetColumns: Int, outputs: Int)
  /// A learning rate, batch size, step count or optimiser constant out of its domain.
  case invalidHyperparameter(String)
  /// The training loss became NaN, infinite or exploded at this step.
  case diverged(step: Int, loss: Double)
  /// A parameter vector of the wrong length for this network.
  case parameterCountMismatch(expected: Int, actual: Int)
  /// A forward pass produced a NaN or infinite output.
  case nonFinitePrediction(image: Int, output: Int, value: Double)

  public var description: String {
    switch self {
    case .invalidWidth(let parameter, let value):
      return
        "\(parameter) is \(value); a network needs at least one unit per layer, e.g. a width of 64"
    case .layerDoesNotFit(let error):
      return error.description
    case .filterLargerThanImage(let layer, let filterSize, let height, let width):
      return "layer \(layer) applies a \(filterSize) x \(filterSize) 'valid' filter to a "
        + "\(height) x \(width) image, which leaves no output pixel; use a smaller filter or "
        + "'same' or 'circular' padding"
    case .shapeMismatch(let expected, let actual):
      return "the network was built for \(expected) images but got \(actual); build it for "
        + "the batch's shape"
    case .targetMismatch(let images, let rows, let columns, let outputs):
      return "\(images) images need \(images) x \(outputs) targets (one row per image, one "
        + "column per network output), got \(rows) x \(columns); check that the labels belong to "
        + "these images"
    case .invalidHyperparameter(let message):
      return "invalid hyperparameter: \(message)"
    case .diverged(let step, let loss):
      return "training diverged at step \(step): the loss is \(loss); lower the learning rate"
    case .parameterCountMismatch(let expected, let actual):
      return "the network has \(expected) parameters but \(actual) were given"
    case .nonFinitePrediction(let image, let output, let value):
      return "output \(output) of image \(image) is \(value); the parameters or inputs overflow "
        + "float64, so lower the learning rate or rescale the images"
    }
  }
}
