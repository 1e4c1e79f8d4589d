using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>The store contract on the core's in-memory store (the reference behaviour).</summary>
public sealed class InMemoryStoreTests(InMemoryHarness harness) : StoreSpecificationTests<InMemoryHarness>(harness), IClassFixture<InMemoryHarness>;
