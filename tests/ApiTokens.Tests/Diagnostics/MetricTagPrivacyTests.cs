using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Diagnostics;

/// <summary>
/// Every measurement of every <c>ApiTokens</c> instrument, through a success, a wrong secret, an unknown user and token, a
/// create and a revoke: no tag names the user, the token, its selector or the client address (each would be a series per
/// user, and a leak in a dashboard).
/// </summary>
public sealed class MetricTagPrivacyTests
{
    private const string Path = "/json-api/listaccts";

    [Fact]
    public async Task NoTag_OfAnyInstrument_CarriesAUserName_TokenName_Selector_SecretOrAddress()
    {
        await using var host = await new ApiTokensTestHostBuilder()
            .ConfigureApp(app => app.MapGet(Path, () => "accounts").RequirePrivilege("list-accts"))
            .StartAsync();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var seen = new List<(string Instrument, string Tag)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == "ApiTokens")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (seen)
            {
                seen.Add((instrument.Name, "(none)"));
                foreach (var tag in tags)
                {
                    seen.Add((instrument.Name, $"{tag.Key}={tag.Value}"));
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        listener.Start();

        var root = host.Accounts.Add("privacyuser", "all");
        var created = await host.CreateTokenAsync(root, "privacy-token-name", ["list-accts"]);
        foreach (var (user, token) in new[]
        {
            ("privacyuser", created.PlaintextToken),
            ("privacyuser", created.PlaintextToken),
            ("privacyuser", MetricsTests.WrongSecret(created.PlaintextToken)),
            ("privacyghost", created.PlaintextToken),
            ("privacyuser", "UNKNOWNSELECTOR" + created.PlaintextToken[15..]),
        })
        {
            using var response = await host.GetAsync(Path, user, token);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        Assert.True((await host.Manager.RevokeAsync(root.Id, "privacy-token-name")).Value);
        listener.RecordObservableInstruments();

        string[] secrets = ["privacyuser", "privacyghost", "privacy-token-name", created.Token.Selector, created.PlaintextToken[^8..], "127.0.0.1"];
        Assert.Contains(seen, s => s.Instrument == "apitokens.authentication.attempts");
        Assert.Contains(seen, s => s.Instrument == "apitokens.cache.entries");
        foreach (var (instrument, tag) in seen)
        {
            Assert.DoesNotContain(secrets, s => tag.Contains(s, StringComparison.OrdinalIgnoreCase));
        }
    }
}
