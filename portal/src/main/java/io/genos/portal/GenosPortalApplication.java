package io.genos.portal;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.theme.lumo.Lumo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The embedded default: one JVM with the portal and every module. */
@SpringBootApplication(scanBasePackages = "io.genos")
@ConfigurationPropertiesScan("io.genos")
@EnableAsync
@EnableScheduling
@StyleSheet(Lumo.STYLESHEET)
public class GenosPortalApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(GenosPortalApplication.class, args);
    }
}
