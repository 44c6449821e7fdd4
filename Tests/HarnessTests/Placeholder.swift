import Testing
@Test func placeholderHarnessTests() { #expect(Bool(true)) }
