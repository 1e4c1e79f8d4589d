using ApiTokens;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers callbacks for leak revocation (<c>MapLeakedTokenRevocation</c>).</summary>
public static class ApiTokensBuilderLeakExtensions
{
    /// <summary>
    /// Adds <typeparamref name="THandler"/>, told of every token a leak report revoked (see <see cref="IApiTokenLeakHandler"/>),
    /// for example to mail its owner. Scoped: one instance per report, so it may use scoped services such as a DbContext. Adding
    /// the same type twice registers it once; different types are all called, in the order they were added.
    /// </summary>
    public static ApiTokensBuilder AddLeakHandler<THandler>(this ApiTokensBuilder builder)
        where THandler : class, IApiTokenLeakHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IApiTokenLeakHandler, THandler>());
        return builder;
    }
}
