using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Secrets;

namespace ProductHub.Domain.Webhooks;

/// <summary>
/// The first shape of <see cref="WebhookConfigured"/> (event type <c>webhook_configured</c>), which held the auth header
/// in plain text. Never appended again: events of this shape are read through <see cref="Redacted"/> (a Marten
/// upcaster), and the hub moves their secret into its store once, at start-up.
/// </summary>
public sealed record WebhookConfiguredV1(
    string Name, string? Url, string? AuthHeader, string? DropFolder, IReadOnlyList<string> EventTypes, long StartAfter,
    DeliveryRetry Retry, Instant RecordedAt)
{
    public const string EventTypeName = "webhook_configured";

    public WebhookConfigured Redacted() =>
        new(Name, Url, SecretReference.StoredBefore(AuthHeader), DropFolder, EventTypes, StartAfter, Retry, RecordedAt);
}
