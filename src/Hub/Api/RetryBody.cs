using NodaTime;
using ProductHub.Domain.Erp;

namespace ProductHub.Hub.Api;

/// <summary>The retry settings an ERP instance or a webhook is configured with; unset parts take the defaults.</summary>
public sealed record RetryBody(int? MaxAttempts, IReadOnlyList<double>? BackoffSeconds)
{
    private static readonly double[] DefaultBackoff = [1, 5, 30, 120, 600];

    public static DeliveryRetry ToRetry(RetryBody? body) => new(
        body?.MaxAttempts ?? 5,
        (body?.BackoffSeconds ?? DefaultBackoff).Select(s => Duration.FromMilliseconds(s * 1000)).ToList());
}
