/// Where a layer sits in a layer list: its number in each list from the outermost inwards, and
/// where its text starts, so that an error in a long `--layers` list points at one layer.
///
/// `numbers` [3] is the third layer of the list; [2, 1] the first layer of the block of layer 2
/// (`residual(...)`). `offset` counts characters (as Swift's `Character`, what a terminal shows)
/// from the start of the whole list to the layer's first character, 0-based; the message prints
/// it 1-based, as "character N".
public struct LayerPosition: Sendable, Hashable, CustomStringConvertible {
  /// The layer's number, 1-based, in each enclosing list from the outermost inwards.
  public var numbers: [Int]
  /// The 0-based character offset of the layer's first character in the whole layer list.
  public var offset: Int

  /// The position of the layer numbered `numbers` (outermost first) at character `offset`.
  public init(numbers: [Int], offset: Int) {
    self.numbers = numbers
    self.offset = offset
  }

  /// Layer `number` of the top-level list, starting at character `offset` (0-based).
  public init(layer number: Int, offset: Int) {
    self.init(numbers: [number], offset: offset)
  }

  /// Layer `number` inside the block of the layer at `self`, starting at character `offset`.
  func inner(_ number: Int, offset: Int) -> LayerPosition {
    LayerPosition(numbers: numbers + [number], offset: offset)
  }

  /// "layer 3 at character 9", or "layer 1 of the block of layer 2 at character 18".
  public var description: String {
    let path = numbers.reversed().enumerated().map { index, number in
      index == 0 ? "layer \(number)" : "the block of layer \(number)"
    }
    return path.joined(separator: " of ") + " at character \(offset + 1)"
  }
}
