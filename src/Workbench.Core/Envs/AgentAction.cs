namespace Workbench.Envs;

/// <summary>The seven MiniGrid actions, in MiniGrid's order.</summary>
public enum AgentAction
{
    Left = 0,
    Right = 1,
    Forward = 2,
    Pickup = 3,
    Drop = 4,
    Toggle = 5,
    Done = 6,
}
