import Testing
@Test func placeholderLMCoreTests() { #expect(Bool(true)) }
