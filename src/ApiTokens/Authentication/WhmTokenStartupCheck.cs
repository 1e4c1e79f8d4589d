using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Authentication;

/// <summary>
/// <c>AddWhmTokens</c> adds the scheme only; the token core comes from <c>services.AddApiTokens()</c>. Without it every request
/// would fail when the handler is built, so the app refuses to start and says what to add.
/// </summary>
internal sealed class WhmTokenStartupCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (app.ApplicationServices.GetService<ApiTokenVerifier>() is null)
        {
            throw new InvalidOperationException(Messages.CoreNotRegistered);
        }

        next(app);
    };
}
