import Testing
@Test func placeholderTaskDiversityTests() { #expect(Bool(true)) }
