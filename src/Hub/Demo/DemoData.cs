using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ProductHub.Hub.Demo;

/// <summary>
/// The demo product (a pump, released as rev A, then rev B with a dated impeller change), sent through the
/// hub's own release API once it listens, exactly as PLM would send it. Package ids make it safe to repeat.
/// </summary>
public static class DemoData
{
    public static IEnumerable<(string Name, string Json)> Packages()
    {
        var assembly = typeof(DemoData).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("demo/")).Order())
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name, reader.ReadToEnd());
        }
    }

    public static void LoadWhenStarted(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => LoadAsync(app)));

    private static async Task LoadAsync(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().Replace("//+", "//localhost").Replace("//*", "//localhost").Replace("//0.0.0.0", "//localhost");
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var (name, json) in Packages())
        {
            using var content = new StringContent(json, new MediaTypeHeaderValue("application/json"));
            using var response = await http.PostAsync("/api/v1/releases", content);
            app.Logger.LogInformation("Demo package {Name}: {Status}", name, (int)response.StatusCode);
        }
        app.Logger.LogInformation("Demo data loaded; try {Address}/api/v1/parts/PN-1000/bom?depth=all", address);
    }
}
