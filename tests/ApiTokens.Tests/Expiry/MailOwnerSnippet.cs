using System.Globalization;
using ApiTokens;

namespace MyApp;

/// <summary>The app's own mail service (SMTP, a mail API, …): it knows each user's address.</summary>
public interface IUserMailer
{
    Task SendAsync(string userName, string subject, string body, CancellationToken cancellationToken);
}

/// <summary>Mails a token's owner once, when the token enters ApiTokens:Policy:ExpiryWarning before it expires.</summary>
public sealed class MailOwnerBeforeExpiry(IUserMailer mailer) : IApiTokenExpiryWarningHandler
{
    public async ValueTask OnExpiryWarningAsync(ApiToken token, ApiTokenAccount? owner, CancellationToken cancellationToken)
    {
        if (owner is null)
        {
            return; // the account is gone: nobody to tell
        }

        var expires = token.ExpiresAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        await mailer.SendAsync(
            owner.UserName,
            $"Your API token \"{token.Name}\" expires on {expires}",
            $"Give it a new value before then (tokens rotate --user {owner.UserName} --name {token.Name}), or create a new token.",
            cancellationToken);
    }
}
