using ProductHub.Hub.Workbench.Shell;

namespace ProductHub.Hub.Workbench;

/// <summary>
/// The integration workbench: Razor components served by the hub under <c>/ui</c>, in Blazor's interactive server
/// mode so that the monitor refreshes itself and the time slider answers as it moves, with no JavaScript build.
/// </summary>
public static class WorkbenchSetup
{
    public static IServiceCollection AddWorkbench(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSingleton<WorkbenchCommands>();
        return services;
    }

    public static WebApplication MapWorkbench(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapGet("/ui/workbench.css", () => Results.Text(WorkbenchStyle.Css, "text/css")).ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
