using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// The shared store specification (<see cref="ApiTokenStoreSpecificationTests"/>) over one of this project's
/// harnesses, which the derived class receives as its class fixture.
/// </summary>
public abstract class StoreSpecificationTests<THarness>(THarness harness) : ApiTokenStoreSpecificationTests
    where THarness : StoreHarness
{
    protected THarness Harness { get; } = harness;

    protected override IApiTokenStore CreateStore() => Harness.CreateStore();

    protected override void AddStore(ApiTokensBuilder builder) => Harness.AddStore(builder);

    protected override Task<IReadOnlyList<string>> ReadStoredRecordsAsync(string accountId) => Harness.ReadRawRowsAsync(accountId);
}
