using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// The audit store contract on PostgreSQL (<c>APITOKENS_POSTGRES</c>), in a database of its own. Skipped when no server is
/// configured, except under <c>CI=true</c>.
/// </summary>
public sealed class PostgresAuditStoreTests(PostgresHarness harness) : AuditStoreSpecificationTests<PostgresHarness>(harness), IClassFixture<PostgresHarness>;
