from plaintes_tui.launch import main

raise SystemExit(main())
