using Alba;

namespace ProductHub.Tests.Support;

public static class Scrape
{
    /// <summary>The sum of a Prometheus series over the lines carrying all these labels (the meter lives as long as the test host).</summary>
    public static async Task<double> Metric(IAlbaHost host, string name, params string[] labels)
    {
        var scrape = await host.Scenario(s => s.Get.Url("/metrics"));
        return (await scrape.ReadAsTextAsync()).Split('\n')
            .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)) && labels.All(l.Contains))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
