from plaintes_tui.cli import main

raise SystemExit(main())
