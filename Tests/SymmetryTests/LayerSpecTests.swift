import Learners
import Testing

@Suite("Layer-list syntax")
struct LayerSpecTests {
  @Test("The parser reads positional, keyed and default arguments")
  func readsArguments() throws {
    let parsed = try Architecture(
      parsing: "conv(5, same, w=1.5, b=0) relu, local(valid) erf gap dense(b=0.3) readout",
      weightStd: 1.1, biasStd: 0.2, filterSize: 3, padding: .circular)
    let expected = try Architecture(layers: [
      .conv(5, padding: .same, weightStd: 1.5, biasStd: 0),
      .relu,
      .locallyConnected(3, padding: .valid, weightStd: 1.1, biasStd: 0.2),
      .erf,
      .globalAveragePooling,
      .dense(weightStd: 1.1, biasStd: 0.3),
      .readout(weightStd: 1.1, biasStd: 0.2),
    ])
    #expect(parsed == expected)
  }

  @Test("Spaces and commas both separate layers, and names ignore case")
  func separatorsAndCase() throws {
    let spaced = try Architecture(parsing: "conv(3) relu flatten dense")
    let commas = try Architecture(parsing: "CONV(k=3),ReLU,Flatten,Dense")
    #expect(spaced == commas)
  }

  @Test(
    "Printing an architecture and parsing it back gives the same layers",
    arguments: NamedArchitecture.allCases, Activation.allCases)
  func descriptionRoundTrips(name: NamedArchitecture, activation: Activation) throws {
    let architecture = try name.architecture(
      depth: 2, activation: activation, filterSize: 5, padding: .same, weightStd: 1.3, biasStd: 0.05
    )
    #expect(try Architecture(parsing: architecture.description) == architecture)
  }

  @Test("The named architectures are the reference README's layer stacks")
  func namedArchitectures() throws {
    let w = 2.0.squareRoot()
    let stacks: [NamedArchitecture: String] = [
      .fcn: "flatten dense relu dense relu readout",
      .lcn: "local(3,circular) relu local(3,circular) relu flatten readout",
      .cnnVec: "conv(3,circular) relu conv(3,circular) relu flatten readout",
      .cnnGap: "conv(3,circular) relu conv(3,circular) relu gap readout",
    ]
    for name in NamedArchitecture.allCases {
      let parsed = try Architecture(parsing: try #require(stacks[name]), weightStd: w, biasStd: 0.1)
      #expect(try name.architecture(depth: 2, activation: .relu) == parsed, "\(name)")
    }
    #expect(NamedArchitecture.allCases.map(\.rawValue) == ["FCN", "LCN", "CNN-VEC", "CNN-GAP"])
    #expect(try NamedArchitecture(named: "cnn-gap") == .cnnGap)
  }

  @Test("The syntax help names every layer the parser knows")
  func helpListsLayers() {
    for name in Architecture.knownLayerNames {
      #expect(Architecture.layerListSyntax.contains(name), "\(name)")
    }
  }
}
