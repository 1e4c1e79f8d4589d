using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>The audit store contract on SQLite, in a real database file (table <c>api_token_audit</c>).</summary>
public sealed class SqliteAuditStoreTests(SqliteHarness harness) : AuditStoreSpecificationTests<SqliteHarness>(harness), IClassFixture<SqliteHarness>;
