namespace ProductHub.Domain.Plants;

public enum ExceptionStatus { Open, Resolved, Dismissed }

/// <summary>
/// What the decisions about one exception of the workbench (stream exception/{id}) need: whose it is and whether it is
/// still open. Aggregated live from the stream; the failed checks and the history are the read model's (<c>PlantExceptionView</c>).
/// </summary>
public sealed record PlantException(string Id, string ExceptionId, string PlantCode, string PartNumber, string Revision, ExceptionStatus Status)
{
    /// <summary>The exception after one more of its events; a failure found again reopens a closed one.</summary>
    public static PlantException? Evolve(PlantException? state, object @event) => (state, @event) switch
    {
        (_, PlantValidationFailed e) => state is null
            ? new PlantException(PlantStreams.Exception(e.ExceptionId), e.ExceptionId, e.PlantCode, e.PartNumber, e.Revision, ExceptionStatus.Open)
            : state with { Status = ExceptionStatus.Open },
        (not null, PlantExceptionResolved) => state with { Status = ExceptionStatus.Resolved },
        (not null, PlantExceptionDismissed) => state with { Status = ExceptionStatus.Dismissed },
        _ => state,
    };

    public bool IsOpen => Status == ExceptionStatus.Open;
}
