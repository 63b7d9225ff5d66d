using NodaTime;
using ProductHub.Domain.Secrets;

namespace ProductHub.Domain.Erp;

// Facts of an ERP instance (stream erp/{name}) and of each delivery to it (stream delivery/{id}).

public enum ErpChannel { Http, File, Kafka, Tryton }

public enum FileFormat { Csv, Xml }

/// <summary>What kind of system an instance is: it decides what a change order step sends it of a change.</summary>
public enum SystemKind { Erp, Mes, Qms, SupplierPortal }

/// <summary>
/// An ERP instance and how it is reached. Only the channel's own settings are set. Stored as event type
/// <c>erp_instance_configured_v2</c>: the first shape (<see cref="ErpInstanceConfiguredV1"/>) held the auth header itself.
/// </summary>
public sealed record ErpInstanceConfigured(
    string Name,
    ErpChannel Channel,
    HttpChannelSettings? Http,
    FileChannelSettings? File,
    KafkaChannelSettings? Kafka,
    ErpMapping Mapping,
    DeliveryRetry Retry,
    Instant RecordedAt,
    SystemKind Kind = SystemKind.Erp,
    TrytonChannelSettings? Tryton = null);

/// <summary>The Authorization header is a secret: the event says only where the hub reads it (<see cref="SecretReference"/>).</summary>
public sealed record HttpChannelSettings(string Url, SecretReference? AuthHeaderSecret, int TimeoutSeconds);

/// <summary>
/// <c>EscapeFormulas</c>: CSV text cells a spreadsheet would run as a formula get a leading <c>'</c>; on unless an ERP
/// needs the raw values (instances configured before the setting existed have it on).
/// </summary>
public sealed record FileChannelSettings(string DropFolder, string AckFolder, FileFormat Format, bool EscapeFormulas = true);

/// <summary>A Tryton server's JSON-RPC API: the password is a secret, so the event says only where the hub reads it.</summary>
public sealed record TrytonChannelSettings(string Url, string Database, string User, SecretReference? PasswordSecret, int TimeoutSeconds);

/// <summary>One topic per instance; messages are keyed by part number so one part's deliveries stay in order.</summary>
public sealed record KafkaChannelSettings(string Topic);

/// <summary>
/// How the canonical plant MBOM reads in this ERP: the version of the mapping contract, field names renamed,
/// unit and plant codes translated. Anything not named is passed as the canonical name or code.
/// </summary>
public sealed record ErpMapping(
    string Version,
    IReadOnlyDictionary<string, string> FieldNames,
    IReadOnlyDictionary<string, string> UnitCodes,
    IReadOnlyDictionary<string, string> PlantCodes);

/// <summary>
/// The one retry policy of everything the hub sends out (ERP deliveries, change order steps, webhook batches): attempts
/// before it is dead-lettered, and the wait before each retry (the last one repeats).
/// </summary>
public sealed record DeliveryRetry(int MaxAttempts, IReadOnlyList<Duration> Backoff)
{
    /// <summary>When to try again after attempt number <paramref name="attempt"/> failed; null: dead-letter it.</summary>
    public Instant? NextAttemptAfter(int attempt, Instant failedAt) => attempt < MaxAttempts ? failedAt + WaitBefore(attempt) : null;

    private Duration WaitBefore(int attempt) => Backoff.Count == 0 ? Duration.Zero : Backoff[Math.Min(attempt - 1, Backoff.Count - 1)];
}

/// <summary>
/// A publication to deliver to one ERP instance (again, when the same key is requested once more: a resync or a
/// replay). The key is deterministic over instance, plant, part, revision and content hash, so an ERP that has
/// it already can tell.
/// </summary>
public sealed record DeliveryRequested(
    string DeliveryId,
    string IdempotencyKey,
    string Instance,
    string PlantCode,
    string PartNumber,
    string Revision,
    int Version,
    string ContentHash,
    Instant? ReleasedAt,
    string Reason,
    Instant RecordedAt);

public sealed record DeliverySent(string DeliveryId, int Attempt, string Payload, Instant RecordedAt);

public sealed record DeliveryAcknowledged(string DeliveryId, string? Reference, string? Answer, Instant RecordedAt);

public sealed record DeliveryFailed(string DeliveryId, int Attempt, string Error, Instant? NextAttemptAt, Instant RecordedAt);

public sealed record DeliveryDeadLettered(string DeliveryId, int Attempts, string Error, Instant RecordedAt);

/// <summary>A newer version of the same part went to the same instance first, so this one is never sent.</summary>
public sealed record DeliverySuperseded(string DeliveryId, int ByVersion, Instant RecordedAt);

public static class ErpStreams
{
    public static string Instance(string name) => $"erp/{name}";

    public static string Delivery(string deliveryId) => $"delivery/{deliveryId}";

    public static string IdempotencyKey(string instance, string plantCode, string partNumber, string revision, string contentHash) =>
        ContentHash.Of($"{instance}\n{plantCode}\n{partNumber}\n{revision}\n{contentHash}");

    public static string DeliveryId(string idempotencyKey) => "DL-" + idempotencyKey[..20];
}
