"""What every workspace uses: the Workspace base screen, messages, changes for the write
queue, dialogs, pickers, undo, failures, colours and key ordering."""
