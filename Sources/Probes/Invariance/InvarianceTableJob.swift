import Learners
import Symmetries

/// The invariance-table experiment as a value: which learners, which actions, on which images.
///
/// The defaults are the main job of `symmetry-probe`: FCN, LCN, CNN-VEC and CNN-GAP of depth 2
/// with 3 x 3 circular filters, ReLU and Erf, every catalogue action, on 8 train and 4 test
/// CIFAR-10 images average-pooled to 8 x 8 (3 channels, so channel actions are not trivial).
public struct InvarianceTableJob: Sendable {
  /// The named architectures, one row per activation each.
  public var architectures: [NamedArchitecture] = NamedArchitecture.allCases
  /// The activations of the named rows.
  public var activations: [Activation] = Activation.allCases
  /// Extra rows in the layer-list syntax (`Architecture(parsing:)`), labelled by the text the
  /// user wrote; their layers predict their verdicts as the named rows' do.
  public var customArchitectures: [(label: String, architecture: Architecture)] = []
  /// The action families, one column each.
  public var actions: [any ActionFamily] = ActionCatalogue.families
  /// The parameters of their elements (shift, patch side, turns).
  public var parameters = ActionParameters()
  /// The number of hidden layers of the named rows.
  public var depth = 2
  /// The filter side of their convolutional and locally connected layers.
  public var filterSize = 3
  /// The padding of those layers.
  public var padding = Padding.circular
  /// The data set the probe images come from.
  public var dataSet = DataSet.cifar10
  /// The image side after average pooling (nil keeps the native size).
  public var size: Int? = 8
  /// Training images X.
  public var trainCount = 8
  /// Test images X* (with X, the rows A of the probed kernel blocks).
  public var testCount = 4
  /// The seed of the group elements.
  public var seed: UInt64 = 0

  /// The main job: the four named architectures, ReLU and Erf, every action, 8 + 4 images.
  public init() {}

  /// The table's rows: named architectures x activations, then the custom rows.
  public func rows() throws -> [InvarianceRow] {
    var rows: [InvarianceRow] = []
    for architecture in architectures {
      for activation in activations {
        rows.append(
          try InvarianceRow(
            architecture, activation: activation, depth: depth, filterSize: filterSize,
            padding: padding))
      }
    }
    for custom in customArchitectures {
      rows.append(
        InvarianceRow(name: "custom", activation: custom.label, kernel: custom.architecture))
    }
    return rows
  }

  /// Loads the images and measures the table.
  public func run(progress: (String) -> Void = { _ in }) throws -> InvarianceTable {
    let data = try ExperimentData.load(
      dataSet, size: size, trainCount: trainCount, testCount: testCount)
    let probe = try KernelInvarianceProbe(train: data.train.images, test: data.test.images)
    progress(
      "probing on \(trainCount) train + \(testCount) test \(dataSet.rawValue) images of \(probe.train.shape)"
    )
    return try InvarianceTable.measure(
      rows: rows(), families: actions, probe: probe, seed: seed, parameters: parameters,
      progress: progress)
  }
}
