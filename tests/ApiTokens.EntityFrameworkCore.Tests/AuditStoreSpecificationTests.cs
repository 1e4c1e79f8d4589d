using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// The shared audit store specification (<see cref="ApiTokenAuditStoreSpecificationTests"/>) over one of this project's harnesses,
/// which the derived class receives as its class fixture.
/// </summary>
public abstract class AuditStoreSpecificationTests<THarness>(THarness harness) : ApiTokenAuditStoreSpecificationTests
    where THarness : StoreHarness
{
    protected THarness Harness { get; } = harness;

    protected override IApiTokenAuditStore CreateStore() => Harness.CreateAuditStore();
}
