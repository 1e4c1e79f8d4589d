using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ApiTokens.Tests.Leaks;

/// <summary>HTTP/1.1 by hand over a socket, for exchanges HttpClient cannot make or show byte for byte.</summary>
internal static class RawHttp
{
    /// <summary>Opens a connection to <paramref name="host"/>'s server.</summary>
    public static async Task<TcpClient> ConnectAsync(ApiTokensTestHost host, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one answer (status line, headers and body as text), up to its Content-Length or its last chunk, without waiting for
    /// the connection to close.
    /// </summary>
    public static async Task<string> ReadAnswerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, "The server closed the connection before answering: " + Encoding.UTF8.GetString([.. received]));
            received.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.UTF8.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var length = text[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var complete = length is not null
                ? text.Length >= end + 4 + int.Parse(length["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture)
                : text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
            if (complete)
            {
                return text;
            }
        }
    }
}
