using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;

namespace ProductHub.Adapters.Erp;

/// <summary>What an ERP made of one attempt to deliver.</summary>
public abstract record ChannelOutcome
{
    /// <summary>The ERP confirmed it applied (or already had) the delivery.</summary>
    public sealed record Acknowledged(string? Reference, string? Answer) : ChannelOutcome;

    /// <summary>Handed over; the ERP confirms later (an HTTP callback, an ack file).</summary>
    public sealed record AwaitingAcknowledgement(string? Answer) : ChannelOutcome;

    public sealed record Failed(string Error) : ChannelOutcome;
}

/// <summary>
/// JSON pushed to the ERP's endpoint with the idempotency key in a header, and the Authorization header the caller
/// read for this send (from the hub's secret store or where the settings say it comes from). A 2xx whose body says
/// <c>{"acknowledged": true, "reference": "..."}</c> acknowledges at once; any other 2xx awaits a callback.
/// </summary>
public static class HttpErpChannel
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int ReadLimit = 64 * 1024;

    public static async Task<ChannelOutcome> SendAsync(
        HttpClient http, HttpChannelSettings settings, string? authorization, string idempotencyKey, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        if (!string.IsNullOrEmpty(authorization)) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var answer = await ReadAtMostAsync(response.Content, timeout.Token);
            // Not followed (the outbound policy's client): a redirect is an answer other than the ERP's, so a failure.
            if (!response.IsSuccessStatusCode) return new ChannelOutcome.Failed(RemoteAnswer.Failure((int)response.StatusCode, answer));
            return AcknowledgementIn(answer) is { } ack ? ack : new ChannelOutcome.AwaitingAcknowledgement(RemoteAnswer.Clean(answer));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ChannelOutcome.Failed($"no answer within {settings.TimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return new ChannelOutcome.Failed(e.Message);
        }
    }

    private static ChannelOutcome.Acknowledged? AcknowledgementIn(string answer)
    {
        try
        {
            using var body = JsonDocument.Parse(answer);
            return body.RootElement.ValueKind == JsonValueKind.Object &&
                   body.RootElement.TryGetProperty("acknowledged", out var acknowledged) && acknowledged.ValueKind == JsonValueKind.True
                ? new ChannelOutcome.Acknowledged(
                    body.RootElement.TryGetProperty("reference", out var reference) ? RemoteAnswer.Clean(reference.ToString()) : null,
                    RemoteAnswer.Clean(answer))
                : null;
        }
        catch (JsonException)
        {
            return null; // an answer that is not JSON acknowledges nothing; the ERP may still call back
        }
    }

    /// <summary>The start of the answer only: enough for any acknowledgement, while an endless body cannot fill the hub's memory.</summary>
    private static async Task<string> ReadAtMostAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[ReadLimit];
        var read = 0;
        for (int n; read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0;) read += n;
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}

/// <summary>
/// The legacy route: one file per delivery, written atomically (a temp file renamed into place) into the drop
/// folder. The ERP acknowledges by writing <c>{idempotencyKey}.ack</c> (its reference inside) into the ack folder.
/// </summary>
public static class FileErpChannel
{
    public const string AckExtension = ".ack";

    /// <summary>The file, named by the idempotency key, in the drop folder; the ack folder is made for the ERP's answers.</summary>
    public static ChannelOutcome Write(FileChannelSettings settings, string fileName, string content) =>
        Write(settings.DropFolder, fileName, content, settings.AckFolder);

    public static ChannelOutcome Write(string folder, string fileName, string content, string? ackFolder = null)
    {
        try
        {
            if (ackFolder is not null) Directory.CreateDirectory(ackFolder);
            WriteAtomically(folder, fileName, content);
            return new ChannelOutcome.AwaitingAcknowledgement(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ChannelOutcome.Failed(e.Message);
        }
    }

    /// <summary>UTF-8 without a byte order mark: what JSON requires (RFC 8259) and what the XML declaration says.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A temp file renamed into place: a reader never sees half a file.</summary>
    public static void WriteAtomically(string folder, string name, string content)
    {
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, content, Utf8);
        File.Move(temp, Path.Combine(folder, name), overwrite: true);
    }

    public static string Render(FileChannelSettings settings, ErpPayload payload) =>
        settings.Format == FileFormat.Xml ? payload.ToXml() : payload.ToCsv(settings.EscapeFormulas);
}
