using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Secrets;

namespace ProductHub.Domain.Webhooks;

// Facts of a webhook subscription (stream webhook/{name}).

/// <summary>
/// A downstream system subscribed to canonical changes (PLM taking status events back is one): the feed's events
/// (of the listed types, or all) are posted to <c>Url</c>, or written as files into <c>DropFolder</c>, in order and
/// in batches, with the same retry and dead-letter rules as an ERP instance. Stored as event type
/// <c>webhook_configured_v2</c>: the first shape (<see cref="WebhookConfiguredV1"/>) held the auth header itself.
/// </summary>
public sealed record WebhookConfigured(
    string Name, string? Url, SecretReference? AuthHeaderSecret, string? DropFolder, IReadOnlyList<string> EventTypes, long StartAfter,
    DeliveryRetry Retry, Instant RecordedAt);

/// <summary>A batch the subscriber would not take within the retry limit; the subscription moved on past it.</summary>
public sealed record WebhookBatchDeadLettered(string Name, long FromPosition, long ToPosition, int Attempts, string Error, Instant RecordedAt);

public sealed record WebhookReplayRequested(string Name, long FromPosition, long ToPosition, Instant RecordedAt);

public static class WebhookStreams
{
    public static string Webhook(string name) => $"webhook/{name}";
}
