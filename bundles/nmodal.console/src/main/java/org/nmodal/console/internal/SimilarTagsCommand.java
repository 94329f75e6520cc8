package org.nmodal.console.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.nmodal.api.InvalidInputException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nmodal:similar-tags [-k K] <id> <tag>}: Gogo finds methods by Java name, and a Java name cannot hold a
 * hyphen, so this command is a {@link Function} that reads its own arguments and calls {@link TagCommands}.
 */
@Component(service = Function.class, property = {"osgi.command.scope=nmodal",
        "osgi.command.function=similar-tags"})
public final class SimilarTagsCommand implements Function {
    private static final String USAGE = "usage: nmodal:similar-tags [-k K] <pipeline id> <tag>";
    private final TagCommands commands;

    /** Creates the command over the tag commands. */
    @Activate
    public SimilarTagsCommand(@Reference TagCommands commands) {
        this.commands = commands;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        List<String> rest = new ArrayList<>();
        int k = 10;
        for (int i = 0; i < arguments.size(); i++) {
            String a = String.valueOf(arguments.get(i));
            if (a.equals("-k") || a.equals("--k")) {
                if (i + 1 >= arguments.size()) {
                    throw new InvalidInputException("-k needs a number; " + USAGE);
                }
                try {
                    k = Integer.parseInt(String.valueOf(arguments.get(++i)));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("-k needs a whole number, got '" + arguments.get(i) + "'; " + USAGE);
                }
            } else {
                rest.add(a);
            }
        }
        if (rest.size() != 2) {
            throw new InvalidInputException(USAGE);
        }
        commands.similarTags(k, rest.get(0), rest.get(1));
        return null;
    }
}
