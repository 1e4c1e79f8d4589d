using ApiTokens.EntityFrameworkCore.Tests.Infrastructure;

namespace ApiTokens.EntityFrameworkCore.Tests;

/// <summary>
/// Rotation through the EF Core store on PostgreSQL (<c>APITOKENS_POSTGRES</c>), in a database of its own. Skipped with the
/// reason when no server is configured, except under <c>CI=true</c>, where it fails.
/// </summary>
public sealed class RotationPostgresTests(PostgresHarness harness) : RotationStoreTests<PostgresHarness>(harness), IClassFixture<PostgresHarness>;
