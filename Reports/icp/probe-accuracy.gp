# Drawn by the replicate harness; run `gnuplot probe-accuracy.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Probe accuracy per ordering (1 = open-book easy, 2 = open-book hard, 3 = closed-book, 4 = faithfulness)"
set xlabel "probe (1 RC easy, 2 RC hard, 3 closed-book, 4 p(context value) > p(memorised))"
set ylabel "accuracy / rate (%)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'probe-accuracy.png'
plot 'probe-accuracy.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'probe-accuracy.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP", \
     'probe-accuracy.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "KNN", \
     'probe-accuracy.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "CLUSTER", \
     5.0 with lines dt 2 lc rgb 'gray40' title "chance (1 in 20 values)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'probe-accuracy.svg'
plot 'probe-accuracy.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'probe-accuracy.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP", \
     'probe-accuracy.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "KNN", \
     'probe-accuracy.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "CLUSTER", \
     5.0 with lines dt 2 lc rgb 'gray40' title "chance (1 in 20 values)"
unset output
