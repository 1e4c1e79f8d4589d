using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>The store contract on SQLite, in a real database file.</summary>
public sealed class SqliteStoreTests(SqliteHarness harness) : ApiTokenStoreConformanceTests(harness), IClassFixture<SqliteHarness>;
