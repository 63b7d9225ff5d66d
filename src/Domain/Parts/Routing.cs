using ProductHub.Domain.Documents;

namespace ProductHub.Domain.Parts;

/// <summary>
/// How an operation's run time grows with the quantity made: <c>Linear</c> in proportion (as ERPNext computes it),
/// <c>WholeBatches</c> in whole cycles of its run quantity (as Odoo counts a work center's capacity).
/// </summary>
public enum OperationBatching { Linear, WholeBatches }

/// <summary>The time an operation takes, in minutes: setup and cleanup once, the run per <c>RunQuantity</c> made.</summary>
public sealed record OperationTimes(
    decimal SetupMinutes, decimal RunMinutes, decimal RunQuantity, decimal CleanupMinutes, OperationBatching Batching)
{
    /// <summary>Setup, run and cleanup for <paramref name="quantity"/> (in the part's unit), or null beyond what can be computed.</summary>
    public decimal? MinutesFor(decimal quantity)
    {
        try
        {
            // Rounded before the ceiling, so that a quantity of exactly n cycles is n, not n + 1.
            var run = Batching == OperationBatching.WholeBatches
                ? RunMinutes * Math.Ceiling(Quantities.Rounded(quantity / RunQuantity))
                : RunMinutes * quantity / RunQuantity;
            return Quantities.Rounded(SetupMinutes + run + CleanupMinutes);
        }
        catch (ArithmeticException)
        {
            return null;
        }
    }
}

/// <summary>A characteristic quality inspects at an operation (for QMS): its nominal value and limits, in its unit.</summary>
public sealed record InspectionCharacteristic(
    string Characteristic, decimal? Nominal, decimal? LowerLimit, decimal? UpperLimit, string? Unit);

/// <summary>An operation of a routing as it is read and sent: its number, work center, times, dates and what it uses.</summary>
public record RoutedOperation(
    int OperationNumber,
    string Description,
    string WorkCenter,
    OperationTimes Times,
    Effectivity Effectivity,
    IReadOnlyList<int> Consumes,
    IReadOnlyList<InspectionCharacteristic> Inspection,
    IReadOnlyList<DocumentReference>? Documents = null);
