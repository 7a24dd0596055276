import Foundation
import Learners
import Symmetries

/// The measured learning curves: every repeat's accuracy and MSE, summarised per curve and size.
public struct LearningCurves: Sendable {
  /// The data set's name.
  public let dataset: String
  /// The shape of the images after preprocessing.
  public let shape: ImageShape
  let measurements: [Measurement]
  /// Natural-image accuracies and MSEs at every size at the experiment's `sensitivityRidges`.
  public internal(set) var ridgeSensitivity: [RidgeSensitivity] = []

  /// The natural-image curves as solved at `ridge` (from `ridgeSensitivity`; empty when the run
  /// did not measure that ridge).
  func natural(atRidge ridge: Double) -> LearningCurves {
    LearningCurves(
      dataset: dataset, shape: shape,
      measurements: ridgeSensitivity.filter { $0.ridge == ridge }.map {
        Measurement(
          key: CurveKey(
            architecture: $0.architecture, kernel: $0.kernel, action: "none", actedOn: .data),
          trainSize: $0.trainSize, repeat: $0.repeat, accuracy: $0.accuracy, mse: $0.mse)
      })
  }

  /// The curves in the order they were measured.
  public var curves: [CurveKey] {
    var seen = Set<CurveKey>()
    return measurements.map(\.key).filter { seen.insert($0).inserted }
  }

  /// Mean and standard deviation over repeats, one point per (curve, size).
  public var points: [CurvePoint] {
    var result: [CurvePoint] = []
    for key in curves {
      let mine = measurements.filter { $0.key == key }
      var sizes: [Int] = []
      for m in mine.map(\.trainSize) where !sizes.contains(m) { sizes.append(m) }
      for m in sizes {
        let at = mine.filter { $0.trainSize == m }
        let (accuracy, accuracyStd) = meanAndStd(at.map(\.accuracy))
        let (mse, mseStd) = meanAndStd(at.map(\.mse))
        let trainMSEs = at.compactMap(\.trainMSE)
        let steps = at.compactMap(\.steps).map(Double.init)
        result.append(
          CurvePoint(
            dataset: dataset, architecture: key.architecture, kernel: key.kernel,
            action: key.action, actedOn: key.actedOn, trainSize: m, accuracy: accuracy, mse: mse,
            accuracyStd: accuracyStd, mseStd: mseStd, repeats: at.count,
            trainMSE: trainMSEs.isEmpty ? nil : meanAndStd(trainMSEs).0,
            trainSteps: steps.isEmpty ? nil : meanAndStd(steps).0))
      }
    }
    return result
  }

  /// The point of `key` at training-set size m, if measured.
  public func point(_ key: CurveKey, trainSize m: Int) -> CurvePoint? {
    points.first { $0.curve == key && $0.trainSize == m }
  }

  /// Per-repeat values of one curve at one size (for paired comparisons).
  public func repeats(_ key: CurveKey, trainSize m: Int) -> [(accuracy: Double, mse: Double)] {
    measurements.filter { $0.key == key && $0.trainSize == m }.sorted { $0.repeat < $1.repeat }
      .map { ($0.accuracy, $0.mse) }
  }

  /// The power-law fit of MSE against m for one curve.
  public func scaling(_ key: CurveKey) -> ScalingFit? {
    let mine = measurements.filter { $0.key == key }
    var sizes: [Int] = []
    for m in mine.map(\.trainSize) where !sizes.contains(m) { sizes.append(m) }
    let repeatIndices = Set(mine.map(\.repeat)).sorted()
    let losses = repeatIndices.map { r in
      sizes.map { m in mine.first { $0.repeat == r && $0.trainSize == m }!.mse }
    }
    // One loss per size and repeat by construction (every repeat is measured at every size).
    return try! ScalingFit.fit(sizes: sizes, losses: losses)
  }
}

func meanAndStd(_ values: [Double]) -> (Double, Double) {
  let mean = values.reduce(0, +) / Double(values.count)
  guard values.count > 1 else { return (mean, 0) }
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
  return (mean, variance.squareRoot())
}
