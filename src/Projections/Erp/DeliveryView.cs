using NodaTime;
using ProductHub.Domain.Erp;

namespace ProductHub.Projections.Erp;

/// <summary>A delivery to an ERP instance: where it stands, what was sent, what the ERP answered, and how long it took.</summary>
public sealed class DeliveryView
{
    public string Id { get; set; } = "";
    public string DeliveryId { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string Instance { get; set; } = "";
    public string PlantCode { get; set; } = "";
    public string PartNumber { get; set; } = "";
    public string Revision { get; set; } = "";
    // Not "Version": Marten would take a property of that name for the stream's own version.
    public int MbomVersion { get; set; }
    public string ContentHash { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public int Rounds { get; set; }
    public string? LastError { get; set; }
    public Instant? NextAttemptAt { get; set; }
    public Instant? ReleasedAt { get; set; }
    public Instant RequestedAt { get; set; }
    public Instant? SentAt { get; set; }
    public Instant? AcknowledgedAt { get; set; }
    public string? Reference { get; set; }
    public string? Payload { get; set; }
    public string? Answer { get; set; }

    /// <summary>From the release being recorded to the ERP's acknowledgement, in milliseconds.</summary>
    public double? LatencyMilliseconds { get; set; }

    public static DeliveryView Create(DeliveryRequested e)
    {
        var view = new DeliveryView
        {
            Id = ErpStreams.Delivery(e.DeliveryId), DeliveryId = e.DeliveryId, IdempotencyKey = e.IdempotencyKey, Instance = e.Instance,
            PlantCode = e.PlantCode, PartNumber = e.PartNumber, Revision = e.Revision, MbomVersion = e.Version, ContentHash = e.ContentHash,
        };
        view.Apply(e);
        return view;
    }

    public void Apply(DeliveryRequested e)
    {
        Status = DeliveryStatus.Pending;
        Rounds++;
        Attempts = 0;
        LastError = null;
        NextAttemptAt = null;
        ReleasedAt = e.ReleasedAt;
        RequestedAt = e.RecordedAt;
    }

    public void Apply(DeliverySent e)
    {
        // Recorded after the acknowledgement it raced with (see Delivery.Evolve): the delivery stays acknowledged.
        if (Status != DeliveryStatus.Acknowledged) Status = DeliveryStatus.Sent;
        Attempts = e.Attempt;
        Payload = e.Payload;
        SentAt = e.RecordedAt;
        NextAttemptAt = null;
    }

    public void Apply(DeliveryAcknowledged e)
    {
        Status = DeliveryStatus.Acknowledged;
        Reference = e.Reference;
        Answer = e.Answer;
        AcknowledgedAt = e.RecordedAt;
        LatencyMilliseconds = ReleasedAt is { } released ? (e.RecordedAt - released).TotalMilliseconds : null;
    }

    public void Apply(DeliveryFailed e)
    {
        Status = DeliveryStatus.Failed;
        Attempts = e.Attempt;
        LastError = e.Error;
        NextAttemptAt = e.NextAttemptAt;
    }

    public void Apply(DeliveryDeadLettered e)
    {
        Status = DeliveryStatus.DeadLettered;
        LastError = e.Error;
        NextAttemptAt = null;
    }

    public void Apply(DeliverySuperseded e) => Status = DeliveryStatus.Superseded;
}
