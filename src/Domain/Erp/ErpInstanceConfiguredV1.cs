using NodaTime;
using ProductHub.Domain.Secrets;

namespace ProductHub.Domain.Erp;

/// <summary>
/// The first shape of <see cref="ErpInstanceConfigured"/> (event type <c>erp_instance_configured</c>), which held the
/// auth header in plain text. Never appended again: events of this shape are read through <see cref="Redacted"/>
/// (a Marten upcaster), and the hub moves their secret into its store once, at start-up.
/// </summary>
public sealed record ErpInstanceConfiguredV1(
    string Name,
    ErpChannel Channel,
    HttpChannelSettingsV1? Http,
    FileChannelSettings? File,
    KafkaChannelSettings? Kafka,
    ErpMapping Mapping,
    DeliveryRetry Retry,
    Instant RecordedAt)
{
    public const string EventTypeName = "erp_instance_configured";

    public ErpInstanceConfigured Redacted() => new(
        Name, Channel,
        Http is null ? null : new HttpChannelSettings(Http.Url, SecretReference.StoredBefore(Http.AuthHeader), Http.TimeoutSeconds),
        File, Kafka, Mapping, Retry, RecordedAt);
}

public sealed record HttpChannelSettingsV1(string Url, string? AuthHeader, int TimeoutSeconds);
