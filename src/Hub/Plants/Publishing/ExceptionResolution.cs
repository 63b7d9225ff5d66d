using NodaTime;
using ProductHub.Domain.Plants;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// Whether a sync resolves an exception of the workbench (its part published, left the plant, or has a newer revision):
/// an open one is resolved; one dismissed or resolved meanwhile stays as it was closed.
/// </summary>
public static class ExceptionResolution
{
    public static PlantExceptionResolved? Decide(PlantException exception, string resolution, Instant now) =>
        exception.IsOpen ? new PlantExceptionResolved(exception.ExceptionId, resolution, now) : null;
}
