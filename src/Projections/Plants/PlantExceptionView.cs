using NodaTime;
using ProductHub.Domain.Plants;

namespace ProductHub.Projections.Plants;

/// <summary>An entry of the exception workbench: why a revision could not be published to a plant, and what became of it.</summary>
public sealed class PlantExceptionView
{
    public string Id { get; set; } = "";
    public string ExceptionId { get; set; } = "";
    public string PlantCode { get; set; } = "";
    public string PartNumber { get; set; } = "";
    public string Revision { get; set; } = "";
    public ExceptionStatus Status { get; set; }
    public List<FailedCheck> Checks { get; set; } = [];
    public Instant FirstSeen { get; set; }
    public Instant LastSeen { get; set; }
    public int Attempts { get; set; }
    public string? Resolution { get; set; }
    public Instant? ClosedAt { get; set; }

    public static PlantExceptionView Create(PlantValidationFailed e)
    {
        var view = new PlantExceptionView
        {
            Id = PlantStreams.Exception(e.ExceptionId), ExceptionId = e.ExceptionId, PlantCode = e.PlantCode, PartNumber = e.PartNumber, Revision = e.Revision, FirstSeen = e.RecordedAt,
        };
        view.Apply(e);
        return view;
    }

    public void Apply(PlantValidationFailed e)
    {
        Status = ExceptionStatus.Open;
        Checks = [.. e.Checks];
        LastSeen = e.RecordedAt;
        Attempts++;
        Resolution = null;
        ClosedAt = null;
    }

    public void Apply(PlantExceptionResolved e) => Close(ExceptionStatus.Resolved, e.Resolution, e.RecordedAt);

    public void Apply(PlantExceptionDismissed e) => Close(ExceptionStatus.Dismissed, e.Reason, e.RecordedAt);

    private void Close(ExceptionStatus status, string resolution, Instant at)
    {
        Status = status;
        Resolution = resolution;
        ClosedAt = at;
    }
}
