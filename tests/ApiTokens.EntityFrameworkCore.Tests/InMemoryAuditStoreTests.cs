using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>The audit store contract on the core's in-memory audit store (the reference behaviour).</summary>
public sealed class InMemoryAuditStoreTests(InMemoryHarness harness) : AuditStoreSpecificationTests<InMemoryHarness>(harness), IClassFixture<InMemoryHarness>;
