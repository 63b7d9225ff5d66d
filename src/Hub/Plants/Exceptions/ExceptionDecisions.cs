using NodaTime;
using ProductHub.Domain.Plants;

namespace ProductHub.Hub.Plants.Exceptions;

/// <summary>What a decision about an exception comes to: the event to record, or why nothing is recorded.</summary>
public sealed record ExceptionDecision(object? Event, string? Refusal);

/// <summary>
/// The workbench's decisions about one exception, from its state alone: only an open exception is retried or dismissed,
/// and a closed one says how it was closed.
/// </summary>
public static class ExceptionDecisions
{
    public static ExceptionDecision Dismiss(DismissException command, PlantException exception, Instant now) =>
        exception.IsOpen ? new(new PlantExceptionDismissed(exception.ExceptionId, command.Reason.Trim(), now), null) : NotOpen(exception);

    public static ExceptionDecision Retry(PlantException exception, Instant now) =>
        exception.IsOpen ? new(new PlantExceptionRetried(exception.ExceptionId, now), null) : NotOpen(exception);

    private static ExceptionDecision NotOpen(PlantException exception) =>
        new(null, $"Exception {exception.ExceptionId} is {exception.Status.ToString().ToLowerInvariant()}, not open.");
}
