extension DepthResults {
  public func summary() -> String { "" }
}
