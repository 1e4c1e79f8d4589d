namespace ApiTokens.Tests.Stores
{
    /// <summary>
    /// The core knows EF Core's exceptions by name only (it does not reference EF Core), so these stand-ins carry the names:
    /// a concurrency exception of the store is a store fault with a clean answer, never a 500 (issue 15).
    /// </summary>
    public sealed class StoreFaultsTests
    {
        [Fact]
        public void EfCoresConcurrencyException_IsAStoreFault_AsItsUpdateExceptionIs()
        {
            Assert.True(StoreFaults.IsStoreFault(new Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException()));
            Assert.True(StoreFaults.IsStoreFault(new InvalidOperationException("wrapped", new Microsoft.EntityFrameworkCore.DbUpdateException())));
            Assert.False(StoreFaults.IsStoreFault(new InvalidOperationException("a bug, not the database")));
        }
    }
}

namespace Microsoft.EntityFrameworkCore
{
    // Stand-ins with EF Core's full names (see StoreFaultsTests).
#pragma warning disable CA1032, CA1064, RCS1194
    internal class DbUpdateException : Exception
    {
    }

    internal sealed class DbUpdateConcurrencyException : DbUpdateException
    {
    }
#pragma warning restore CA1032, CA1064, RCS1194
}
