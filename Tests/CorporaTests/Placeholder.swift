import Testing
@Test func placeholderCorporaTests() { #expect(Bool(true)) }
