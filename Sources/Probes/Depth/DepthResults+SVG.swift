import Foundation

extension DepthResults {
  public static func heatMapFileName(_ panel: Panel, time: Double) -> String {
    "depth-phase-\(panel.architecture.lowercased())-n\(panel.trainCount)-t\(String(format: "%g", time)).svg"
  }
  public func heatMapSVG(_ panel: Panel, time: Double) -> String { "" }
  public func spectraSVG() -> String { "" }
}
