using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>The store contract on SQLite, in a real database file.</summary>
public sealed class SqliteStoreTests(SqliteHarness harness) : StoreSpecificationTests<SqliteHarness>(harness), IClassFixture<SqliteHarness>;
