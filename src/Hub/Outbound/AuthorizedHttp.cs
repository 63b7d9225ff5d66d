using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Security.Secrets;

namespace ProductHub.Hub.Outbound;

/// <summary>
/// The HTTP channel with its Authorization header read at the moment of sending, so a rotated secret (a new value, a
/// changed variable or file) applies to the next attempt. One that cannot be read fails the attempt with the reason.
/// </summary>
public static class AuthorizedHttp
{
    public static async Task<ChannelOutcome> SendAsync(
        SecretStore secrets, SecretName authHeader, HttpClient http, HttpChannelSettings settings, string idempotencyKey, string json,
        CancellationToken ct)
    {
        var authorization = await secrets.ResolveAsync(authHeader, settings.AuthHeaderSecret, ct);
        return authorization.Problem is { } problem
            ? new ChannelOutcome.Failed(problem)
            : await HttpErpChannel.SendAsync(http, settings, authorization.Value, idempotencyKey, json, ct);
    }
}
