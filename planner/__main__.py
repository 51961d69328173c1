from planner.cli import main

if __name__ == "__main__":  # worker processes import this module again: only the real entry point runs the CLI
    raise SystemExit(main())
