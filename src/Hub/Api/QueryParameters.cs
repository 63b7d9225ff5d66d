using NodaTime;
using NodaTime.Text;

namespace ProductHub.Hub.Api;

/// <summary>Parses the query parameters the read API shares; a bad value names the parameter.</summary>
public static class QueryParameters
{

    public static bool TryDate(string? value, string name, LocalDate fallback, out LocalDate date, out IResult? problem)
    {
        problem = null;
        date = fallback;
        if (string.IsNullOrEmpty(value)) return true;
        var parsed = LocalDatePattern.Iso.Parse(value);
        if (parsed.Success) date = parsed.Value;
        else problem = Problems.Invalid(name, $"'{value}' is not a date like 2026-03-01");
        return parsed.Success;
    }

    public static bool TryInstant(string? value, string name, out Instant? instant, out IResult? problem)
    {
        problem = null;
        instant = null;
        if (string.IsNullOrEmpty(value)) return true;
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(value);
        if (parsed.Success) instant = parsed.Value.ToInstant();
        else problem = Problems.Invalid(name, $"'{value}' is not an instant like 2026-02-10T12:00:00Z");
        return parsed.Success;
    }

    /// <summary>A whole number within [min, max]; absent is the fallback.</summary>
    public static bool TryWhole(string? value, string name, long fallback, long min, long max, out long number, out IResult? problem)
    {
        problem = null;
        number = fallback;
        if (string.IsNullOrEmpty(value)) return true;
        if (long.TryParse(value, out number) && number >= min && number <= max) return true;
        problem = Problems.Invalid(name, $"'{value}' is not a whole number from {min} to {max}");
        return false;
    }

    /// <summary>An enum value by its camelCase name (case-insensitive); absent is null.</summary>
    public static bool TryEnum<T>(string? value, string name, out T? parsed, out IResult? problem) where T : struct, Enum
    {
        problem = null;
        parsed = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var found) && !int.TryParse(value, out _))
        {
            parsed = found;
            return true;
        }
        problem = Problems.Invalid(name, $"one of {string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}");
        return false;
    }

    /// <summary>A quantity as the release contract takes one (greater than 0, at most 1e9, 9 decimals); absent is null.</summary>
    public static bool TryQuantity(string? value, string name, out decimal? quantity, out IResult? problem)
    {
        problem = null;
        quantity = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (decimal.TryParse(value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var parsed) &&
            parsed > 0 && parsed <= 1_000_000_000m && decimal.Round(parsed, 9) == parsed)
        {
            quantity = Domain.Quantities.Normalize(parsed);
            return true;
        }
        problem = Problems.Invalid(name, $"'{value}' is not a quantity greater than 0 and at most 1000000000, with at most 9 decimals");
        return false;
    }

    /// <summary><c>all</c> (null: no limit) or a whole number of levels from 1.</summary>
    public static bool TryDepth(string? value, string name, out int? depth, out IResult? problem)
    {
        problem = null;
        depth = 1;
        if (string.IsNullOrEmpty(value)) return true;
        if (value.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            depth = null;
            return true;
        }
        if (int.TryParse(value, out var levels) && levels >= 1)
        {
            depth = levels;
            return true;
        }
        problem = Problems.Invalid(name, $"'{value}' is neither 'all' nor a number of levels from 1");
        return false;
    }
}
