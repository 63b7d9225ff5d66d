namespace ProductHub.Tests.Support;

/// <summary>
/// A small pump the plant scenarios share:
/// PUMP → 10 HOUSING (→ 10 CASTING, 20 BOLT ×8), 20 IMPELLER, 30 SEALKIT (→ 10 ORING ×2, 20 GREASE 50 G), 40 TOOL.
/// Every bought part states its country of origin except BOLT.
/// </summary>
public static class PumpStructure
{
    public const string ReleasedAt = "2026-01-10T08:00:00Z";

    public static object Release(string packageId = "REL-PUMP") => new
    {
        packageId, source = "plm-test", releasedAt = ReleasedAt,
        parts = new object[]
        {
            Make("PUMP", Line(10, "HOUSING", 1), Line(20, "IMPELLER", 1), Line(30, "SEALKIT", 1), Line(40, "TOOL", 1)),
            Make("HOUSING", Line(10, "CASTING", 1), Line(20, "BOLT", 8)),
            Make("SEALKIT", Line(10, "ORING", 2), Line(20, "GREASE", 50, "G")),
            Buy("CASTING", "CZ"), Buy("BOLT", null), Buy("IMPELLER", "IT"), Buy("IMPELLER-S", "IT"), Buy("ORING", "PL"),
            Buy("ORING-V", "PL"), Buy("TOOL", "DE"),
            new { partNumber = "GREASE", revision = "A", description = "Grease", unit = "KG", type = "rawMaterial",
                  effectiveFrom = "2026-01-10", compliance = new { countryOfOrigin = "DE" } },
        },
    };

    public static object Make(string partNumber, params object[] bom) =>
        new { partNumber, revision = "A", description = partNumber, unit = "EA", type = "make", effectiveFrom = "2026-01-10", bom };

    public static object Buy(string partNumber, string? countryOfOrigin, string revision = "A") => new
    {
        partNumber, revision, description = partNumber, unit = "EA", type = "buy", effectiveFrom = "2026-01-10",
        compliance = new { rohs = true, countryOfOrigin },
    };

    public static object Line(int findNumber, string partNumber, decimal quantity, string unit = "EA") =>
        new { findNumber, partNumber, quantity, unit };

    public static object Plant(object? rules = null, string name = "Plant") => new { name, erpInstance = "erp-test", rules };
}
